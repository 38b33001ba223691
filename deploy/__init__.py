"""Running the app as a service: the proxy configuration and `make cluster`."""
