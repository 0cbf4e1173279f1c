"""The notebook layer: what magics and panels share, and the kernel-wide session.

- ``session``       — ``%config CometAudio.*`` defaults, the kernel's client, key, call log;
  it pushes display and job defaults down to the layers that follow them
- ``options``       — the speech and transcription options a magic or panel stands for
- ``error_display`` — errors as one or two lines (``UsageError`` in magics, status lines,
  and a ``CometError`` raised by a cell, through IPython's custom exception hook)
- ``notices``       — the one-line notices as a quiet grey line instead of stderr
- ``cell_sources``  — ``%%comet_transcribe``'s cell lines as sources (paths, globs, URLs,
  variables)
- ``calllog``       — the call log as a priced DataFrame (``%comet_log``)
- ``doctor``, ``doctor_checks`` — ``%comet_doctor``'s table and the kernel's checks (the
  page's answers come from ``widgets.page_probe``)
- ``progress``      — progress bars that leave their final line in the notebook, not a
  stale "0%" (registered with the jobs layer when this package loads)

``magics/`` and ``widgets/`` sit beside this package, in the same layer.
"""

from . import progress as _progress  # noqa: E402, F401  (registers the notebook's progress bar)
