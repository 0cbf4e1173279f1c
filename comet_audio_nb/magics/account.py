"""``%comet_status`` and ``%comet_login``: where requests go, and setting the key safely."""

from __future__ import annotations

import getpass

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from ..client.launcher import local_engine_models
from ..config import Secret, clean_value
from ..notebook import session
from ..notebook.error_display import friendly_errors
from ._args import parse_args

__all__ = ["AccountMagics", "status_lines"]


def status_lines() -> list[str]:
    """What ``%comet_status`` prints: key (masked) and its source, base URL, engine, defaults."""
    client = session.get_client()
    current = session.settings()
    defaults = session.get_defaults()
    lines = [f"key         {current.masked_key} (from {session.key_source()})"]
    if client.uses_local_engine:
        started = client._engine_base_url
        where = f"running at {started}" if started else "starts on the first call"
        lines += [
            "base URL    none set: the built-in offline engine answers",
            f"engine      built-in offline engine, {where}",
            "            (set COMETAPI_KEY or run %comet_login to use CometAPI)",
        ]
        for i, (models, answered_by) in enumerate(local_engine_models()):
            lines.append(f"{'answers' if i == 0 else '':<12}{models}: {answered_by}")
    else:
        source = current.base_url_source
        source = "%config CometAudio.base_url" if source == "argument" else source
        lines += [f"base URL    {current.base_url} (from {source})", "engine      not in use"]
    speed = f", speed {defaults.speed:g}" if defaults.speed != 1.0 else ""
    lines += [
        f"speech      {defaults.speech_model}, voice {defaults.voice}, "
        f"{defaults.response_format}{speed}",
        f"transcribe  {defaults.transcribe_model}, language {defaults.language or 'detected'}, "
        f"{defaults.concurrency} at once",
        f"display     embed audio up to {defaults.embed_max_bytes / 1e6:g} MB, "
        f"autoplay {'on' if defaults.autoplay else 'off'}, "
        f"{'short' if defaults.short_errors else 'full'} errors",
        f"calls       {len(session.call_log())} in this kernel (%comet_log)",
        "change      %config CometAudio.<option> = value (all options: %config CometAudio)",
    ]
    return lines


@magics_class
class AccountMagics(Magics):
    """The key, the base URL, and what is in effect."""

    @line_magic
    @friendly_errors
    def comet_status(self, line: str = "") -> None:
        """Show where requests go: the key (masked) and where it comes from, the base URL,
        whether the built-in offline engine is in use, and the ``%config`` defaults.

        Example::

            %comet_status
        """
        if line.strip():
            raise UsageError("%comet_status takes no arguments")
        print("\n".join(status_lines()))

    @line_magic
    @friendly_errors
    @magic_arguments()
    @argument("--forget", action="store_true", help="forget the key set by %%comet_login")
    def comet_login(self, line: str = "") -> None:
        """Ask for the CometAPI key (hidden input) and use it for this kernel's requests.

        The key is kept in memory only: never printed, never written to the notebook or
        to a file. It wins over ``COMETAPI_KEY``; the next call goes to CometAPI, with no
        kernel restart. ``%comet_login --forget`` drops it again.

        Example::

            %comet_login
        """
        args = parse_args(self.comet_login, line)
        if args.forget:
            session.set_api_key(None)
            print(f"key forgotten; now using: {session.key_source()}")
            return
        key = _entered_key()  # a Secret from here on: a traceback can only show it masked
        if key is None:
            raise UsageError("no key entered; nothing changed")
        session.set_api_key(key)
        client = session.get_client()
        print(
            f"key {client.settings.masked_key} set for this kernel (memory only); "
            f"requests go to {client.settings.base_url}"
        )


def _entered_key() -> Secret | None:
    value = clean_value(getpass.getpass("CometAPI key (input hidden): "))
    return Secret(value) if value else None
