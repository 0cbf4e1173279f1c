"""``%comet_log``: the calls made in this kernel, as a DataFrame."""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from ..notebook import session
from ..notebook.calllog import call_log_frame, catalog_pricer
from ..notebook.error_display import friendly_errors
from ._args import parse_args, store

__all__ = ["CallLogMagics"]


@magics_class
class CallLogMagics(Magics):
    """What this kernel has asked of the API."""

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell, **kwargs)
        self._catalog: list[Any] | None = None  # fetched once, on the first --cost

    @line_magic
    @friendly_errors
    @magic_arguments()
    @argument("--cost", action="store_true", help="estimate costs from the model catalog")
    @argument("-n", "--last", type=int, metavar="N", help="only the last N calls")
    @argument("--clear", action="store_true", help="forget the calls logged so far")
    @argument("-o", "--output", metavar="VAR", help="store the table in the variable VAR")
    def comet_log(self, line: str = "") -> None:
        """The calls made in this kernel: time, endpoint, model, input size (characters
        or bytes), duration, status, attempts, request id, error, and an estimated cost
        where the catalog gives a price (``--cost`` fetches the catalog once).

        Examples::

            %comet_log
            %comet_log --cost --last 10 -o calls
            %comet_log --clear
        """
        args = parse_args(self.comet_log, line)
        if args.clear:
            session.clear_call_log()
            print("call log cleared")
            return
        if args.cost and self._catalog is None:
            self._catalog = session.get_client().models()
        records = session.call_log()  # after the catalog fetch, which is a call too
        if args.last is not None:
            records = records[-args.last :] if args.last > 0 else []
        pricer = catalog_pricer(self._catalog) if self._catalog is not None else None
        frame = call_log_frame(records, pricer)
        store(self.shell, args.output, frame)
        if frame.empty:
            print("no calls yet in this kernel")
            return
        display(frame)
