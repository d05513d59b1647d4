"""Local stand-in for AWS Lambda: the Invoke API and the HTTP design's /jobs routes for one function.

Each invocation runs the handler in a separate process, as Lambda runs it in an execution environment.
"""
