# Reference REML variance components and ICCs from lme4 for incomplete crossed designs.
#
# Run from this folder:  Rscript make_fixtures.R
# Writes <name>.csv (unit, rater, score; one row per rating that exists) and lme4.json.
# Data sets are generated with a fixed seed (no published incomplete ICC data set was at hand).
# The tests (tests/test_agreement_reml.py) read the files and never need R.
suppressPackageStartupMessages({
  library(lme4)
  library(jsonlite)
})

simulate <- function(n_units, n_raters, s_unit, s_rater, s_resid, missing, round_to_scale, seed) {
  set.seed(seed)
  u <- rnorm(n_units, 0, s_unit)
  r <- rnorm(n_raters, 0, s_rater)
  d <- expand.grid(rater = seq_len(n_raters), unit = seq_len(n_units))
  d$score <- 3 + u[d$unit] + r[d$rater] + rnorm(nrow(d), 0, s_resid)
  if (round_to_scale) d$score <- pmin(6, pmax(0, round(d$score)))
  keep <- runif(nrow(d)) >= missing
  d <- d[keep, c("unit", "rater", "score")]
  # every unit keeps at least one rating
  d
}

sets <- list(
  sparse_12x4 = simulate(12, 4, 1.0, 0.5, 0.7, 0.30, FALSE, 11),
  scale_60x8 = simulate(60, 8, 1.2, 0.4, 0.8, 0.40, TRUE, 12),
  no_rater_effect_30x5 = simulate(30, 5, 1.0, 0.0, 1.0, 0.25, FALSE, 13),
  biased_40x6 = simulate(40, 6, 0.8, 1.0, 0.6, 0.50, FALSE, 14),
  # the dashboard's case: five sessions, one rater marked three of them not applicable
  demo_5x3 = data.frame(
    unit = c(1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5),
    rater = c(1, 2, 3, 1, 2, 3, 1, 2, 1, 2, 1, 2),
    score = c(4, 5, 4, 2, 3, 1, 5, 6, 3, 3, 1, 2)
  )
)

out <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  write.csv(d, paste0(name, ".csv"), row.names = FALSE)
  d$unit <- factor(d$unit)
  d$rater <- factor(d$rater)
  two <- lmer(score ~ 1 + (1 | unit) + (1 | rater), data = d, REML = TRUE)
  one <- lmer(score ~ 1 + (1 | unit), data = d, REML = TRUE)
  vc <- as.data.frame(VarCorr(two))
  vc1 <- as.data.frame(VarCorr(one))
  su <- vc$vcov[vc$grp == "unit"]
  sr <- vc$vcov[vc$grp == "rater"]
  se <- vc$vcov[vc$grp == "Residual"]
  su1 <- vc1$vcov[vc1$grp == "unit"]
  sw <- vc1$vcov[vc1$grp == "Residual"]
  k <- 1 / mean(1 / as.numeric(table(d$unit)))
  out[[name]] <- list(
    n_ratings = nrow(d),
    s2_unit = su, s2_rater = sr, s2_resid = se,
    s2_unit_one_way = su1, s2_within = sw, k = k,
    reml_criterion_two_way = as.numeric(REMLcrit(two)),
    ICC1 = su1 / (su1 + sw),
    ICC2 = su / (su + sr + se),
    ICC3 = su / (su + se),
    ICC1k = su1 / (su1 + sw / k),
    ICC2k = su / (su + (sr + se) / k),
    ICC3k = su / (su + se / k)
  )
}
out[["lme4_version"]] <- as.character(packageVersion("lme4"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = 12, pretty = TRUE), "lme4.json")
