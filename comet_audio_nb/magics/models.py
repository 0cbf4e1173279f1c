"""``%comet_models``: the model catalog and prices as a table, a cost estimate or a panel."""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, argument_group, magic_arguments

from ..notebook import session
from ..notebook.error_display import friendly_errors
from ._args import parse_args, store

__all__ = ["ModelsMagics"]

WORKLOAD = ("characters", "audio_minutes", "input_tokens", "output_tokens", "requests")


@magics_class
class ModelsMagics(Magics):
    """CometAPI's model catalog, filtered and sorted, with cost estimates."""

    @line_magic
    @friendly_errors
    @magic_arguments()
    @argument_group("filters (each repeatable, or comma-separated: any of them matches)")
    @argument(
        "-t",
        "--type",
        action="append",
        metavar="TYPE",
        help="model type: audio, speech, transcription, text, image, video, ...",
    )
    @argument(
        "-f",
        "--feature",
        action="append",
        metavar="FEATURE",
        help="catalog feature, e.g. text-to-speech",
    )
    @argument("-p", "--provider", action="append", metavar="NAME", help="provider name or code")
    @argument(
        "-e",
        "--endpoint",
        action="append",
        metavar="PATH",
        help="part of an endpoint path, e.g. audio/speech",
    )
    @argument(
        "-q", "--query", action="append", metavar="TEXT", help="part of the id, name or provider"
    )
    @argument(
        "--priced-by",
        action="append",
        metavar="BASIS",
        help="characters, tokens, second or request",
    )
    @argument(
        "--max-price",
        type=float,
        metavar="PRICE",
        help="at most this main price, in the model's own unit (see price_unit)",
    )
    @argument_group("order and output")
    @argument(
        "-s",
        "--sort",
        metavar="COLUMN",
        help="sort by a column (price, input_price, created, ...); --sort=-created for descending",
    )
    @argument("--desc", action="store_true", help="sort in descending order")
    @argument("-n", "--limit", type=int, metavar="N", help="only the first N models")
    @argument("-o", "--output", metavar="VAR", help="also store the result in the variable VAR")
    @argument("--widget", action="store_true", help="open the interactive model explorer")
    @argument(
        "--all-columns",
        action="store_true",
        help="show every column of the table (.df has them all either way)",
    )
    @argument_group("cost estimate (any of these ranks the models by cost)")
    @argument("--characters", type=float, metavar="N", help="characters of text")
    @argument("--audio-minutes", type=float, metavar="MIN", help="minutes of audio")
    @argument("--input-tokens", type=float, metavar="N", help="input tokens")
    @argument("--output-tokens", type=float, metavar="N", help="output tokens")
    @argument("--requests", type=float, metavar="N", help="requests")
    @argument_group("source")
    @argument(
        "--local",
        action="store_true",
        help="the built-in engine's catalog (sample data, not live prices)",
    )
    @argument("--base-url", metavar="URL", help="another CometAPI-compatible service")
    @argument("--refresh", action="store_true", help="download afresh, ignoring cached copies")
    def comet_models(self, line: str = "") -> Any:
        """The model catalog as a table you can filter and sort, with cost estimates.

        The catalog is CometAPI's public ``/api/models`` (no key needed), cached for a
        day; ``--local`` shows the built-in engine's sample catalog instead. When the
        catalog cannot be reached and no copy is cached, the sample catalog stands in,
        labelled as sample data, with a line saying why. The result is a ``ModelCatalog``
        (``.df`` is the DataFrame), or with a workload option a DataFrame of estimated
        costs, cheapest first; ``x = %comet_models ...`` works too. The table shows the
        columns people compare; ``--all-columns`` shows them all.

        Examples::

            %comet_models --type audio
            %comet_models -t audio -f text-to-speech -p openai --max-price 20 --sort input_price
            %comet_models --type speech --characters 250000 -o costs
            %comet_models --type transcription --audio-minutes 90 -n 5
            %comet_models -q whisper --local
            %comet_models -t audio --all-columns
            %comet_models --widget
        """
        from ..catalog import ModelCatalog, models

        args = parse_args(self.comet_models, line)
        # %config CometAudio.base_url points the catalog there too (it needs no key)
        base_url = args.base_url or (None if args.local else session.get_defaults().base_url)
        # The output shows why when the sample stands in: no separate notice.
        catalog = models(
            "local" if args.local else "cometapi",
            base_url=base_url or None,
            refresh=args.refresh,
            fallback=None if args.local else "local",
            notice=False,
        )
        filters = {
            name: value
            for name in ("type", "feature", "provider", "endpoint", "query", "priced_by")
            if (value := getattr(args, name)) is not None
        }
        if args.max_price is not None:
            filters["max_price"] = args.max_price
        if args.widget:
            explorer = self._explorer(catalog, filters, args)
            store(self.shell, args.output, explorer)
            return explorer
        if filters:
            catalog = catalog.filter(**filters)
        if args.sort:
            catalog = catalog.sort(args.sort, ascending=not args.desc)
        workload = {name: getattr(args, name) for name in WORKLOAD}
        if any(value is not None for value in workload.values()):
            result: Any = catalog.estimate(**workload)
            if args.limit is not None:
                result = result.head(max(args.limit, 0))
        else:
            result = catalog if args.limit is None else catalog.head(args.limit)
        store(self.shell, args.output, result)
        if args.all_columns and isinstance(result, ModelCatalog):
            return result.show(columns="all")
        return result

    @staticmethod
    def _explorer(catalog: Any, filters: dict[str, Any], args: Any) -> Any:
        from ..widgets import ModelExplorer

        single = {k: (v[0] if isinstance(v, list) else v) for k, v in filters.items()}
        single.pop("endpoint", None)  # the panel has no endpoint control
        return ModelExplorer(catalog, sort=args.sort or "price", **single)
