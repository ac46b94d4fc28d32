"""Imported by the process pool's fork server (see :mod:`extractor.engines`): build the pipeline
and run it once, so patterns, gazetteer and dictionaries are loaded a single time and every
forked worker starts warm (sharing those pages copy-on-write). Never raises."""
from .engines import warm_up

warm_up()
