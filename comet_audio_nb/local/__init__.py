"""The built-in local engine: CometAPI's audio wire format served offline on loopback."""

from .app import create_app
from .engine import LocalEngine, get_engine
from .routing import recognisers
from .state import EngineState

__all__ = ["EngineState", "LocalEngine", "create_app", "get_engine", "recognisers"]
