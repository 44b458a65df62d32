"""The composition root: flags, config, sources and sinks, the stage order and the run report."""

from transforms.beam_import import import_beam

import_beam()  # before any pipeline module imports Beam: without its GCP notice
