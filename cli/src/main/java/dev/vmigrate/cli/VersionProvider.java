package dev.vmigrate.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest, so that it is set in one place: the Maven build. */
public class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"vmigrate " + (v == null ? "development build" : v)};
  }
}
