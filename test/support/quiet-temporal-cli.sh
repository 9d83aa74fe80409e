#!/bin/sh
# The Temporal CLI as the tests' dev servers run it. The SDK (TestWorkflowEnvironment.createLocal)
# starts the server from native code with the test process's stdout and stderr, so its banner
# and WARN lines would print on every run. quiet-environment.ts points TEMPORAL_CLI_PATH here:
# the output goes to the test file's server log, printed only when a test in the file fails.
exec "$ROUNDS_TEST_TEMPORAL_CLI" "$@" >>"$ROUNDS_TEST_SERVER_LOG" 2>&1
