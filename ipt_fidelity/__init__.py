"""ipt_fidelity: teach the IPT model and rate how faithfully sessions follow it."""

__version__ = "0.1.0"
