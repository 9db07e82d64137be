#ifndef SEGWORK_CPOSTGRES_SHIM_H
#define SEGWORK_CPOSTGRES_SHIM_H
/* libpq, PostgreSQL's own client library (Debian: libpq-dev). Nothing else: SegworkPostgres wraps it. */
#include <libpq-fe.h>
#endif
