"""Running the app as a service: the proxy configuration and `make cluster`."""


class ClusterError(RuntimeError):
    """The cluster cannot start: the message says what and where its log is."""
