"""The composition root: flags, config, sources and sinks, the stage order and the run report."""

from transforms.beam_import import import_beam

import_beam()  # before any pipeline module imports Beam: without its GCP notice

from transforms.beam_specs import install as _remember_dofn_specs  # noqa: E402

# Beam recomputes each DoFn's state specs ~10 times (transforms/beam_specs.py). Installed here, in
# the job's processes (the driver imports pipeline.run; workers import pipeline modules to unpickle
# their DoFns), not in `transforms`, so a project importing the cleaning functions keeps Beam as is.
_remember_dofn_specs()
