package dev.vmigrate.vsphere.vim25;

import dev.vmigrate.vsphere.VsphereException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vCenter session over vim25 SOAP: reads the service content once, logs in lazily, logs in
 * again once when a call fails with NotAuthenticated (an expired session), and maps SOAP faults to
 * typed {@link VsphereException}s. Thread-safe; the password is read at login and never logged.
 */
final class Vim25Session {
  private static final Logger log = LoggerFactory.getLogger(Vim25Session.class);

  private final Vim25Connection connection;
  private final SoapTransport transport;
  private final Object loginLock = new Object();
  private final AtomicLong sessionGeneration = new AtomicLong();
  private volatile ServiceContent content;
  private volatile String sessionKey;

  /** The managed objects of RetrieveServiceContent that the gateway uses. */
  record ServiceContent(
      MoRef rootFolder,
      MoRef propertyCollector,
      MoRef viewManager,
      MoRef sessionManager,
      MoRef searchIndex,
      MoRef customFieldsManager,
      MoRef authorizationManager,
      MoRef vmProvisioningChecker,
      MoRef taskManager,
      String apiVersion,
      String instanceUuid) {}

  Vim25Session(Vim25Connection connection, SoapCallObserver observer) {
    this.connection = connection;
    this.transport = new SoapTransport(connection, observer);
  }

  Vim25Connection connection() {
    return connection;
  }

  /** The key of the current session, or null when not logged in. */
  String sessionKey() {
    return sessionKey;
  }

  int roundTrips() {
    return transport.roundTrips();
  }

  /** Logs in now rather than at the first call, surfacing bad credentials early. */
  void login() {
    synchronized (loginLock) {
      ServiceContent sc = serviceContent();
      transport.clearSession();
      XmlNode res =
          raw(
              XmlElement.of("Login")
                  .addRef("_this", sc.sessionManager())
                  .add("userName", connection.username())
                  .add("password", connection.password().password()));
      sessionKey = res.text("returnval.key");
      sessionGeneration.incrementAndGet();
      log.info("logged in to vCenter {} as {}", connection.id(), connection.username());
    }
  }

  /** Ends the session; later calls log in again. */
  void logout() {
    synchronized (loginLock) {
      if (sessionKey == null) {
        return;
      }
      try {
        raw(XmlElement.of("Logout").addRef("_this", serviceContent().sessionManager()));
      } finally {
        sessionKey = null;
        transport.clearSession();
      }
    }
  }

  /** SessionIsActive for this gateway's own session. */
  boolean sessionActive() {
    String key = sessionKey;
    if (key == null) {
      return false;
    }
    XmlNode res =
        invoke(
            XmlElement.of("SessionIsActive")
                .addRef("_this", serviceContent().sessionManager())
                .add("sessionID", key)
                .add("userName", connection.username()));
    return Boolean.parseBoolean(res.text("returnval"));
  }

  /** Logs out, best effort. */
  void close() {
    try {
      logout();
    } catch (VsphereException e) {
      log.debug("logout from {} failed: {}", connection.id(), e.getMessage());
    }
  }

  ServiceContent serviceContent() {
    ServiceContent sc = content;
    if (sc != null) {
      return sc;
    }
    XmlNode r =
        raw(XmlElement.of("RetrieveServiceContent")
                .addRef("_this", new MoRef("ServiceInstance", "ServiceInstance")))
            .child("returnval")
            .orElseThrow(() -> invalidResponse("RetrieveServiceContent"));
    sc =
        new ServiceContent(
            ref(r, "rootFolder"),
            ref(r, "propertyCollector"),
            ref(r, "viewManager"),
            ref(r, "sessionManager"),
            ref(r, "searchIndex"),
            ref(r, "customFieldsManager"),
            ref(r, "authorizationManager"),
            ref(r, "vmProvisioningChecker"),
            ref(r, "taskManager"),
            r.text("about.apiVersion"),
            r.text("about.instanceUuid"));
    transport.apiVersion(sc.apiVersion());
    content = sc;
    return sc;
  }

  private static MoRef ref(XmlNode parent, String child) {
    return parent.child(child).map(XmlNode::moRef).orElse(null);
  }

  /** One call without session handling (service content and login). */
  private XmlNode raw(XmlElement call) {
    try {
      return transport.call(call);
    } catch (SoapFault f) {
      throw Faults.toException(f);
    }
  }

  /**
   * One call in the session: logs in first if needed, and once more if vCenter says the session is
   * gone (NotAuthenticated), then repeats the call.
   */
  XmlNode invoke(XmlElement call) {
    if (sessionKey == null) {
      synchronized (loginLock) {
        if (sessionKey == null) {
          login();
        }
      }
    }
    long generation = sessionGeneration.get();
    try {
      return transport.call(call);
    } catch (SoapFault f) {
      if (!"NotAuthenticated".equals(f.faultType())) {
        throw Faults.toException(f);
      }
      log.info("vCenter {} session expired; logging in again", connection.id());
      synchronized (loginLock) {
        // Another thread may already have logged in again after the same expiry.
        if (sessionGeneration.get() == generation) {
          login();
        }
      }
      try {
        return transport.call(call);
      } catch (SoapFault again) {
        throw Faults.toException(again);
      }
    }
  }

  static VsphereException invalidResponse(String method) {
    return new VsphereException("InvalidResponse", method + ": unexpected response", false);
  }
}
