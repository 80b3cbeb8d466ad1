package dev.vmigrate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI in-process, with what it printed. */
record CliRun(int exit, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = VmigrateMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** A run against the API at {@code api}. */
  static CliRun at(String api, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--api";
    all[1] = api;
    System.arraycopy(args, 0, all, 2, args.length);
    return of(all);
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
