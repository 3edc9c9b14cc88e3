"""Support intake bot: the front door of an IT support desk."""
