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
        where the catalog gives a price (``--cost`` fetches the catalog once; when it
        cannot be reached, the costs come from the built-in engine's sample catalog, and
        the table says so).

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
        catalog, why_sample = self._catalog, None
        if args.cost and catalog is None:
            catalog, why_sample = _catalog_for_costs()
            if why_sample is None:  # keep the live one; try again next time otherwise
                self._catalog = catalog
        records = session.call_log()  # after the catalog fetch, which is a call too
        if args.last is not None:
            records = records[-args.last :] if args.last > 0 else []
        pricer = catalog_pricer(catalog) if catalog is not None else None
        frame = call_log_frame(records, pricer, sample_prices=why_sample)
        store(self.shell, args.output, frame)
        if frame.empty:
            print("no calls yet in this kernel")
            return
        display(frame)


def _catalog_for_costs() -> tuple[list[Any], str | None]:
    """The catalog's records, fetched through the session's client (so the fetch is in the
    log), and None; or, when it cannot be reached, the built-in engine's sample catalog and
    why it stands in."""
    from ..catalog import models
    from ..catalog.fetch import describe_failure
    from ..errors import APIConnectionError, ServerError

    try:
        return session.get_client().models(), None
    except (APIConnectionError, ServerError) as error:
        sample = models("local", notice=False)
        why = (
            f"the model catalog could not be reached ({describe_failure(error)}); "
            "the costs use the built-in engine's sample catalog"
        )
        return list(sample), why
