package dev.vmigrate.server;

import com.uber.m3.tally.Scope;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslSessionContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.ServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One process's Temporal connection, resolved once and used by every connection it opens (workflow
 * client, worker factory, operator calls of the start check). Precedence, highest first: flags,
 * vmigrate's configuration ({@code --config} files, then {@code VMIGRATE_TEMPORAL_*}), Temporal's
 * environment configuration (the {@code TEMPORAL_*} variables over a profile of its TOML file),
 * then the defaults {@code 127.0.0.1:7233} and namespace {@code default}. {@link #toString} never
 * shows the API key or key material.
 *
 * @param address the frontend's {@code host:port}
 * @param addressGiven whether some source set the address (else it is the default)
 * @param namespace the Temporal namespace
 * @param tls TLS settings, or null for a plain connection
 * @param apiKey the API key, or null
 * @param searchAttributes the search-attributes override (false forces them off), or null
 */
public record TemporalConnection(
    String address,
    boolean addressGiven,
    String namespace,
    Tls tls,
    ApiKey apiKey,
    Boolean searchAttributes) {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";
  private static final int MAX_API_KEY_BYTES = 16 * 1024;

  /**
   * TLS towards the frontend. Any field may be null: no CA means the JVM's trusted CAs, no
   * certificate means no client certificate. Key material is read from the files on each new
   * connection when they changed ({@link ClientCertificateFiles}), or taken from {@code *Data} when
   * a TOML profile inlines it.
   */
  public record Tls(
      Path ca,
      byte[] caData,
      String serverName,
      Path cert,
      Path key,
      byte[] certData,
      byte[] keyData) {
    @Override
    public String toString() {
      return "Tls[ca="
          + (ca != null ? ca : caData != null ? "(inline)" : "(system)")
          + ", serverName="
          + serverName
          + ", cert="
          + (cert != null ? cert : certData != null ? "(inline)" : "(none)")
          + ", key="
          + (key != null ? key : keyData != null ? "(inline)" : "(none)")
          + "]";
    }
  }

  /** An API key; its {@code toString} hides it, so it cannot reach a log by accident. */
  public static final class ApiKey {
    private final String value;

    public ApiKey(String value) {
      this.value = value;
    }

    /** The key itself, for the Authorization header only. */
    public String reveal() {
      return value;
    }

    @Override
    public String toString() {
      return "ApiKey[hidden]";
    }
  }

  /** A plain connection to a server this process started: no TLS, no key. */
  public static TemporalConnection plain(String address, String namespace) {
    return new TemporalConnection(address, true, namespace, null, null, null);
  }

  /** This connection, to another address with nothing else changed. */
  public TemporalConnection withAddress(String newAddress) {
    return new TemporalConnection(newAddress, true, namespace, tls, apiKey, searchAttributes);
  }

  /** Resolves {@code vmigrate} over the SDK's environment configuration of this process. */
  public static TemporalConnection resolve(TemporalSettings vmigrate) {
    return resolve(vmigrate, LoadClientConfigProfileOptions.newBuilder());
  }

  /**
   * Resolves {@code vmigrate} over Temporal's environment configuration loaded with {@code
   * envconfig} (tests pass their own variables and TOML data; the profile comes from {@code
   * vmigrate.profile()} when set).
   *
   * @throws IllegalArgumentException naming the setting when a value or file is unusable
   */
  public static TemporalConnection resolve(
      TemporalSettings vmigrate, LoadClientConfigProfileOptions.Builder envconfig) {
    if (vmigrate.profile() != null) {
      envconfig.setConfigFileProfile(vmigrate.profile());
    }
    ClientConfigProfile profile;
    try {
      profile = ClientConfigProfile.load(envconfig.build());
    } catch (IOException | RuntimeException e) {
      // The SDK's message names the file or profile; it carries no key.
      throw new IllegalArgumentException(
          "Temporal client configuration (TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE): "
              + e.getMessage(),
          e);
    }
    String address = first(vmigrate.address(), profile.getAddress());
    String namespace = first(vmigrate.namespace(), profile.getNamespace());
    checkAddress(address);
    ApiKey apiKey =
        vmigrate.apiKeyFile() != null
            ? readApiKey(Path.of(vmigrate.apiKeyFile()))
            : TemporalSettings.blankToNull(profile.getApiKey()) != null
                ? new ApiKey(profile.getApiKey().trim())
                : null;
    Tls tls = tls(vmigrate, profile.getTls(), apiKey != null);
    return new TemporalConnection(
        address != null ? address : DEFAULT_ADDRESS,
        address != null,
        namespace != null ? namespace : DEFAULT_NAMESPACE,
        tls,
        apiKey,
        vmigrate.searchAttributes());
  }

  // TLS is on when asked for, when any TLS file is given, or with an API key (as the SDK does).
  private static Tls tls(TemporalSettings v, ClientConfigTLS p, boolean apiKey) {
    ClientConfigTLS t = p != null ? p : ClientConfigTLS.getDefaultInstance();
    if (Boolean.TRUE.equals(t.isDisableHostVerification())) {
      throw new IllegalArgumentException(
          "Temporal TLS: disable_host_verification is not supported; set the server name"
              + " (--temporal-tls-server-name, TEMPORAL_TLS_SERVER_NAME) instead");
    }
    String ca = first(v.tlsCa(), t.getServerCACertPath());
    String serverName = first(v.tlsServerName(), t.getServerName());
    String cert = first(v.tlsCert(), t.getClientCertPath());
    String key = first(v.tlsKey(), t.getClientKeyPath());
    boolean anySet =
        ca != null
            || serverName != null
            || cert != null
            || key != null
            || t.getServerCACertData() != null
            || t.getClientCertData() != null;
    // isDisabled: TRUE for TEMPORAL_TLS=false, FALSE for TEMPORAL_TLS=true, null when unset.
    boolean on =
        Boolean.TRUE.equals(t.isDisabled())
            ? anyFromVmigrate(v)
            : anySet || apiKey || Boolean.FALSE.equals(t.isDisabled());
    if (!on) {
      return null;
    }
    byte[] certData = cert == null ? t.getClientCertData() : null;
    byte[] keyData = key == null ? t.getClientKeyData() : null;
    if ((cert != null || certData != null) != (key != null || keyData != null)) {
      throw new IllegalArgumentException(
          "Temporal mTLS: a client certificate needs its key and a key its certificate"
              + " (--temporal-tls-cert with --temporal-tls-key, or TEMPORAL_TLS_CLIENT_CERT_PATH"
              + " with TEMPORAL_TLS_CLIENT_KEY_PATH)");
    }
    return new Tls(
        readable("TLS CA certificate", ca),
        ca == null ? t.getServerCACertData() : null,
        serverName,
        readable("TLS client certificate", cert),
        readable("TLS client key", key),
        certData,
        keyData);
  }

  private static boolean anyFromVmigrate(TemporalSettings v) {
    return v.tlsCa() != null || v.tlsCert() != null || v.tlsKey() != null;
  }

  private static Path readable(String what, String file) {
    if (file == null) {
      return null;
    }
    Path p = Path.of(file);
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      throw new IllegalArgumentException("Temporal " + what + ": cannot read file " + p);
    }
    return p;
  }

  private static ApiKey readApiKey(Path file) {
    try {
      if (Files.size(file) > MAX_API_KEY_BYTES) {
        throw new IllegalArgumentException(
            "--temporal-api-key-file: " + file + " is larger than " + MAX_API_KEY_BYTES + " bytes");
      }
      String key = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        // Never quote the content: it is the secret.
        throw new IllegalArgumentException(
            "--temporal-api-key-file: "
                + file
                + " must hold one API key (printable characters, no spaces)");
      }
      return new ApiKey(key);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--temporal-api-key-file: cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static void checkAddress(String address) {
    if (address == null) {
      return;
    }
    int colon = address.lastIndexOf(':');
    boolean ok = address.length() <= 512 && colon > 0 && colon < address.length() - 1;
    if (ok) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        ok = port > 0 && port < 65536;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok || address.contains("/") || address.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "Temporal address: '" + address + "' is not HOST:PORT (for example 127.0.0.1:7233)");
    }
  }

  /** Temporal Cloud, where namespaces are created in the Cloud console, not over the API. */
  public boolean cloud() {
    String host = address.substring(0, address.lastIndexOf(':')).toLowerCase(Locale.ROOT);
    return host.endsWith(".tmprl.cloud") || host.endsWith(".api.temporal.io");
  }

  /** The workflow service stubs' options: address, TLS, API key and the metrics scope. */
  public WorkflowServiceStubsOptions workflowStubsOptions(Scope metrics) {
    WorkflowServiceStubsOptions.Builder b = WorkflowServiceStubsOptions.newBuilder();
    apply(b);
    if (metrics != null) {
      b.setMetricsScope(metrics);
    }
    return b.build();
  }

  /** The operator service stubs' options, with the same connection settings. */
  public OperatorServiceStubsOptions operatorStubsOptions() {
    OperatorServiceStubsOptions.Builder b = OperatorServiceStubsOptions.newBuilder();
    apply(b);
    return b.validateAndBuildWithDefaults();
  }

  private void apply(ServiceStubsOptions.Builder<?> b) {
    b.setTarget(address);
    if (apiKey != null) {
      String key = apiKey.reveal();
      b.addApiKey(() -> key);
    }
    if (tls != null) {
      b.setSslContext(sslContext());
      if (tls.serverName() != null) {
        String name = tls.serverName();
        b.setChannelInitializer(channel -> channel.overrideAuthority(name));
      }
    }
  }

  /** The client TLS context; a client certificate given as files is re-read when they change. */
  SslContext sslContext() {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      if (tls.ca() != null) {
        ssl.trustManager(tls.ca().toFile());
      } else if (tls.caData() != null) {
        ssl.trustManager(new ByteArrayInputStream(tls.caData()));
      }
      if (tls.cert() != null) {
        ssl.keyManager(new ClientCertificateFiles(tls.cert(), tls.key()));
      } else if (tls.certData() != null) {
        try (InputStream c = new ByteArrayInputStream(tls.certData());
            InputStream k = new ByteArrayInputStream(tls.keyData())) {
          ssl.keyManager(c, k);
        }
      }
      SslContext context = ssl.build();
      if (tls.cert() != null) {
        // A resumed TLS session keeps the certificate of its first handshake: without resumption
        // every new connection (they are few and long-lived) presents the current files.
        if (context.sessionContext() instanceof OpenSslSessionContext openSsl) {
          openSsl.setSessionCacheEnabled(false);
        } else {
          context.sessionContext().setSessionTimeout(1);
        }
      }
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      // Netty names what it could not parse; the message holds no key material.
      throw new IllegalArgumentException("Temporal TLS: " + e.getMessage(), e);
    }
  }

  /** One line for banners and logs: where, which namespace, how authenticated. */
  public String describe() {
    StringBuilder sb = new StringBuilder(address).append(", namespace ").append(namespace);
    if (tls == null) {
      sb.append(", plaintext");
    } else {
      sb.append(tls.cert() != null || tls.certData() != null ? ", mTLS" : ", TLS");
    }
    if (apiKey != null) {
      sb.append(", API key");
    }
    return sb.toString();
  }

  private static String first(String a, String b) {
    return a != null ? a : TemporalSettings.blankToNull(b);
  }
}
