"""The IPython magics: ``%load_ext comet_audio_nb`` registers them all.

- ``%comet_say`` / ``%%comet_say``: speak text and show a player (``say``)
- ``%%comet_transcribe`` / ``%comet_transcribe``: transcribe the sources listed (``transcribe``)
- ``%comet_models``: the model and pricing table (``models``)
- ``%comet_status``, ``%comet_login``: where requests go; set the key safely (``account``)
- ``%comet_log``: the calls made in this kernel (``calllog``)

Defaults are ``%config CometAudio.*`` (``comet_audio_nb.notebook.session.CometAudio``). Magics
share ``notebook.error_display.friendly_errors`` (short errors) and ``_args`` (options,
``-o VAR``). Loading also makes a ``CometError`` raised by Python code in a cell one or two
lines (``error_display.install_short_errors``) and notices quiet lines (``notebook.notices``);
``%unload_ext comet_audio_nb`` undoes both.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["MAGIC_MODULES", "load_ipython_extension", "unload_ipython_extension"]

# module -> its Magics class
MAGIC_MODULES = {
    "say": "SayMagics",
    "transcribe": "TranscribeMagics",
    "account": "AccountMagics",
    "calllog": "CallLogMagics",
    "models": "ModelsMagics",
}


def load_ipython_extension(ipython: Any) -> None:
    """Register every magic and make ``%config CometAudio.*`` work in this shell."""
    from ..notebook import notices
    from ..notebook.error_display import install_short_errors
    from ..notebook.session import register

    register(ipython)
    for module_name, class_name in MAGIC_MODULES.items():
        module = importlib.import_module(f"{__name__}.{module_name}")
        ipython.register_magics(getattr(module, class_name))
    install_short_errors(ipython)
    notices.install()


def unload_ipython_extension(ipython: Any) -> None:
    """Take back the error hook and the notice display (the magics stay, as IPython has no
    way to remove them)."""
    from ..notebook import notices
    from ..notebook.error_display import remove_short_errors

    remove_short_errors(ipython)
    notices.uninstall()
