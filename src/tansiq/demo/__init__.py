"""The February 2020 demo scenario: parties, centers, logins and incidents for evaluation."""

from tansiq.demo.scenario import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
