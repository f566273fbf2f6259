#!/bin/sh
echo "{{ not rendered }}"
