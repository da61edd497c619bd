#!/bin/sh
# Stand-in for the Prisma schema-engine binary, which cannot be downloaded offline.
exit 1
