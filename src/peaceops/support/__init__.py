"""support: the support-office model (decision 044). For partner-led operations held in ``partnerships``
(an AU-led operation supported by a UN support office, say), the services the UN provides, the agreed and
delivered quantities per period, the partner's requests, the sources that finance the operation and the
compliance and oversight milestones of resolution 2719 (2023)."""

from peaceops.support.overview import operation_support, supported_operations
from peaceops.support.records import deliveries, financing, milestones, request_counts, requests, services

__all__ = [
    "deliveries",
    "financing",
    "milestones",
    "operation_support",
    "request_counts",
    "requests",
    "services",
    "supported_operations",
]
