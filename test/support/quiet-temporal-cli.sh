#!/bin/sh
# The Temporal CLI as the tests' dev servers run it. The SDK (TestWorkflowEnvironment.createLocal)
# starts the server from native code with the test process's stdout and stderr, so its banner
# and WARN lines would print on every run. quiet-environment.ts points TEMPORAL_CLI_PATH here:
# a dev server's output goes to the test file's server log, printed only when a test in the file
# fails. Every other command (tests that run `temporal workflow signal` and read its errors)
# talks to the caller as the real CLI does.
if [ "$1" = "server" ] && [ "$2" = "start-dev" ]; then
  exec "$ROUNDS_TEST_TEMPORAL_CLI" "$@" >>"$ROUNDS_TEST_SERVER_LOG" 2>&1
fi
exec "$ROUNDS_TEST_TEMPORAL_CLI" "$@"
