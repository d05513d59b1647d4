"""Conductor workers of the ``workers`` design: submit a job to the Lambda, read its status."""
