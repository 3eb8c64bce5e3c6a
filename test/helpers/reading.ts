/**
 * Readers never reject (house rule): an exception thrown by the caller's callback (an assertion inside onRecord, a
 * packet visitor that fails) ends the reading and comes back in the summary as `thrown`, its message in `error`
 * (kind 'io'). A test whose callback asserts, or computes what the test asserts on afterwards, throws it again
 * here: otherwise the failed assertion is swallowed and the test checks what was gathered before it.
 */
export function rethrown<S extends { thrown?: unknown }>(summary: S): S {
  // `in`, not `!== undefined`: a callback may throw undefined, and readers set the key only when a callback threw
  if ('thrown' in summary) throw summary.thrown;
  return summary;
}
