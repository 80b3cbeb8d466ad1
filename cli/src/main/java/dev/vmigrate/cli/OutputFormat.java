package dev.vmigrate.cli;

/** How client commands print: aligned tables for people, JSON for scripts. */
public enum OutputFormat {
  table,
  json
}
