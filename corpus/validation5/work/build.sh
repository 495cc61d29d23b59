#!/bin/bash
cd /tmp/v5/work
A=$(ls /tmp/v5/articles/$1_*.txt); B=$(basename $A .txt)
/tmp/v5/.venv/bin/python conv.py $1 $B || exit 1
/tmp/v5/.venv/bin/python /work/shared/gold/mkgold.py $A /tmp/v5/gold/specs/$B.json /tmp/v5/gold/$B.json
