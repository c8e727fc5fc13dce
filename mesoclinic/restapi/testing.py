"""What every API request costs in queries before its view runs (issue 20), for the tests that
count a view's queries: `django_assert_num_queries(<the view's> + SESSION_QUERIES)`.

The throttle counts each request in the shared cache, a database table in tests (Redis in
production when REDIS_URL is set: then none of these is a database query)."""

#: The throttle's count: one read of this window and the last (get_many), then Django's
#: database-cache write: COUNT(*) of the table, SAVEPOINT, SELECT the entry, INSERT or UPDATE
#: it, RELEASE (the savepoint only inside a transaction, as every test is).
SESSION_QUERIES = 6
#: A token adds the read of the address's bad-token lockout (before the token's lookup).
TOKEN_QUERIES = SESSION_QUERIES + 1
#: A token's first request (and one every API_TOKEN_LAST_USED_MINUTES) writes its last use.
FIRST_TOKEN_QUERIES = TOKEN_QUERIES + 1
