"""Writers that turn a persona into platform exports in their real layouts."""
