#!/bin/sh
# An interpreter that cannot run a module: it answers with no JSON at all.
echo "this is not python"
