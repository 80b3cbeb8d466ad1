package dev.vmigrate.activity.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The hooks' credentials, by the name a plan gives them: the worker's configuration holds them, the
 * plan and the workflow input only the name. For a name N, {@code
 * vmigrate.hooks.secrets.N.token-file} (a bearer token) or {@code .username} with {@code
 * .password-file} (basic authentication); the file is read on each call, so a rotated secret is
 * used at the next call.
 */
public final class HookSecrets {
  /** What a secret reference may be: the plan's bound on the name, also a safe property key. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** A worker with no secret configured. */
  public static final HookSecrets NONE = new HookSecrets(key -> Optional.empty());

  private final Function<String, Optional<String>> properties;

  /**
   * @param properties a configuration property by its full key ({@code
   *     vmigrate.hooks.secrets.N.token-file}), empty when unset
   */
  public HookSecrets(Function<String, Optional<String>> properties) {
    this.properties = properties;
  }

  /**
   * The Authorization header value for the secret.
   *
   * @throws IllegalArgumentException when the name is not one the configuration holds
   * @throws IOException when its file cannot be read
   */
  public String authorization(String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a secret name");
    }
    String prefix = "vmigrate.hooks.secrets." + name + ".";
    Optional<String> tokenFile = properties.apply(prefix + "token-file");
    if (tokenFile.isPresent()) {
      return "Bearer " + read(tokenFile.get());
    }
    Optional<String> user = properties.apply(prefix + "username");
    Optional<String> passwordFile = properties.apply(prefix + "password-file");
    if (user.isPresent() && passwordFile.isPresent()) {
      String pair = user.get() + ":" + read(passwordFile.get());
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    throw new IllegalArgumentException(
        "the worker has no secret '"
            + name
            + "' (set "
            + prefix
            + "token-file, or "
            + prefix
            + "username and "
            + prefix
            + "password-file)");
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }
}
