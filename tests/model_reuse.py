"""One traced Keras model for many fresh starts: the tests' way to train many models of one shape quickly."""

from __future__ import annotations

import numpy as np


def start_as(model, twin):
    """Give ``model`` the starting state of ``twin``, a model of the same shape just built and compiled under the
    same seed: its variables (the weights and the sampling layer's seed state) and a new optimizer's (no steps
    taken, no moments). ``model`` keeps its traced training step: tracing one takes about a second, as long as a
    short training, so tests that train many fresh models on the same shapes train one instead."""
    assert [v.shape for v in model.variables] == [v.shape for v in twin.variables]
    for variable, start in zip(model.variables, twin.variables):
        variable.assign(start.numpy())
    for variable in model.optimizer.variables:
        if "learning_rate" not in variable.path:  # the twin's optimizer has the same rate, and no state yet
            variable.assign(np.zeros(variable.shape, variable.dtype))
    return model
