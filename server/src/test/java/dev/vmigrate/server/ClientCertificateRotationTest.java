package dev.vmigrate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mTLS towards a frontend that requires client certificates, as a production Temporal cluster does:
 * the connection built from the TEMPORAL_TLS_* contract trusts the cluster's CA, checks the server
 * name, presents the client certificate, and after the certificate files are replaced by a new pair
 * (a rotation by a key manager) the next connection presents the new one, with no restart.
 * Certificates are made by the JDK's keytool.
 */
class ClientCertificateRotationTest {
  private static final String PASSWORD = "changeit";
  private static final String SERVER_NAME = "frontend.vmigrate.test";

  @TempDir Path dir;

  @Test
  void aReplacedClientCertificateIsPresentedOnTheNextConnection() throws Exception {
    Path ca = newCa();
    issue("server", "CN=" + SERVER_NAME, "SAN=dns:" + SERVER_NAME);
    issue("client-1", "CN=vmigrate-worker-1", null);
    issue("client-2", "CN=vmigrate-worker-2", null);
    Path cert = Files.copy(dir.resolve("client-1.pem"), dir.resolve("client.pem"));
    Path key = Files.copy(dir.resolve("client-1.key"), dir.resolve("client.key"));

    List<String> presented = new CopyOnWriteArrayList<>();
    Server server = tlsServer(ca, presented);
    try {
      String address = "127.0.0.1:" + server.getPort();
      // The cluster's contract: Temporal's standard variables, nothing vmigrate-specific.
      TemporalConnection connection =
          TemporalConnection.resolve(
              TemporalSettings.NONE,
              LoadClientConfigProfileOptions.newBuilder()
                  .setDisableFile(true)
                  .setEnvOverrides(
                      Map.of(
                          "TEMPORAL_ADDRESS", address,
                          "TEMPORAL_TLS_SERVER_CA_CERT_PATH", ca.toString(),
                          "TEMPORAL_TLS_SERVER_NAME", SERVER_NAME,
                          "TEMPORAL_TLS_CLIENT_CERT_PATH", cert.toString(),
                          "TEMPORAL_TLS_CLIENT_KEY_PATH", key.toString())));

      // The process's stubs, as TemporalFactory builds them.
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(connection.workflowStubsOptions(null));
      try {
        stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      } finally {
        stubs.shutdownNow();
        stubs.awaitTermination(10, TimeUnit.SECONDS);
      }
      assertEquals(List.of("CN=vmigrate-worker-1"), presented);

      // One TLS context for the process's lifetime; a connection made before the rotation...
      SslContext ssl = connection.sslContext();
      call(ssl, address);
      assertEquals(List.of("CN=vmigrate-worker-1", "CN=vmigrate-worker-1"), presented);

      // ...and one after the key manager replaced both files (atomically, as such tools do).
      FileTime before = Files.getLastModifiedTime(cert);
      replace(dir.resolve("client-2.pem"), cert, before);
      replace(dir.resolve("client-2.key"), key, before);
      call(ssl, address);
      assertEquals(
          List.of("CN=vmigrate-worker-1", "CN=vmigrate-worker-1", "CN=vmigrate-worker-2"),
          presented);
    } finally {
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void call(SslContext ssl, String address) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(address)
            .sslContext(ssl)
            .overrideAuthority(SERVER_NAME)
            .build();
    try {
      WorkflowServiceGrpc.newBlockingStub(channel)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  // Some file systems keep whole seconds: the replacement is dated later, as a real one would be.
  private static void replace(Path from, Path to, FileTime before) throws IOException {
    Path tmp = Files.copy(from, to.resolveSibling(to.getFileName() + ".new"));
    Files.setLastModifiedTime(tmp, FileTime.fromMillis(before.toMillis() + 2_000));
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A frontend that requires a client certificate signed by {@code ca} and records its subject. */
  private Server tlsServer(Path ca, List<String> presented) throws IOException {
    SslContext ssl =
        GrpcSslContexts.forServer(
                dir.resolve("server.pem").toFile(), dir.resolve("server.key").toFile())
            .trustManager(ca.toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    ServerInterceptor recordPeer =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            try {
              X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
              presented.add(peer.getSubjectX500Principal().getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
              presented.add("none");
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(call, headers)) {};
          }
        };
    WorkflowServiceGrpc.WorkflowServiceImplBase frontend =
        new WorkflowServiceGrpc.WorkflowServiceImplBase() {
          @Override
          public void getSystemInfo(
              GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
            response.onNext(GetSystemInfoResponse.getDefaultInstance());
            response.onCompleted();
          }
        };
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(ssl)
        .addService(ServerInterceptors.intercept(frontend, recordPeer))
        .build()
        .start();
  }

  private Path newCa() throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=vmigrate-test-ca",
        "-ext",
        "bc:c",
        "-keystore",
        store("ca"));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        store("ca"),
        "-file",
        dir.resolve("ca.pem").toString());
    return dir.resolve("ca.pem");
  }

  /** {@code NAME.pem} (signed by the CA) and {@code NAME.key} (PKCS#8 PEM) in the directory. */
  private void issue(String name, String dname, String ext) throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        dname,
        "-keystore",
        store(name));
    String csr = dir.resolve(name + ".csr").toString();
    keytool("-certreq", "-alias", name, "-keystore", store(name), "-file", csr);
    List<String> sign =
        new java.util.ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                store("ca"),
                "-validity",
                "2",
                "-infile",
                csr,
                "-outfile",
                dir.resolve(name + ".pem").toString()));
    if (ext != null) {
      sign.addAll(List.of("-ext", ext));
    }
    keytool(sign.toArray(String[]::new));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
      ks.load(in, PASSWORD.toCharArray());
    }
    byte[] pkcs8 = ks.getKey(name, PASSWORD.toCharArray()).getEncoded();
    Files.writeString(
        dir.resolve(name + ".key"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
            + "\n-----END PRIVATE KEY-----\n");
  }

  private String store(String name) {
    return dir.resolve(name + ".p12").toString();
  }

  private void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
    }
  }
}
