"""Floor 2: formulation feedback, rater calibration against the expert, certification."""
