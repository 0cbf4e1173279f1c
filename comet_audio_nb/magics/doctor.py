"""``%comet_doctor``: does this notebook's setup work? One table, a fix for each problem."""

from __future__ import annotations

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

__all__ = ["DoctorMagics"]


@magics_class
class DoctorMagics(Magics):
    """Check the setup."""

    @line_magic
    def comet_doctor(self, line: str = "") -> None:
        """Check the setup and show one table: each check ok, warn or fail, with a fix.

        The kernel checks the package and its extras, the widget libraries, the key
        (masked) and where it comes from, where requests go, whether CometAPI answers
        (its public catalog: no key, a 3-second timeout, no retries), the built-in
        engine, and the catalog cache's age. The page then answers for the widget front
        end, trust and the microphone: those rows update after the cell has run, or say
        "no answer from the page" after a few seconds. The key is never shown.

        Example::

            %comet_doctor
        """
        if line.strip():
            raise UsageError("%comet_doctor takes no arguments")
        from ..widgets.page_probe import doctor

        try:
            doctor()
        except Exception as error:  # the doctor reports problems, it never is one
            from ..notebook.error_display import error_sentence

            print(f"comet-audio-nb doctor: could not finish ({error_sentence(error)})")
