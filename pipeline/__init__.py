"""The composition root: flags, config, sources and sinks, the stage order and the run report."""
