package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.vim25.PasswordSource;
import dev.vmigrate.vsphere.vim25.Vim25Connection;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import dev.vmigrate.vsphere.vim25.Vim25Sessions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session handling, fault mapping and timeouts of the vim25 client, with faults injected into
 * vcsim.
 */
class Vim25SessionAndFaultsTest {

  @RegisterExtension static final VcsimExtension vcsim = VcsimExtension.perTest();

  private Vim25Gateway gateway;

  @BeforeEach
  void connect() {
    vcsim.clearFaults();
    gateway = new Vim25Gateway(vcsim.connection("vc-sim"));
  }

  @AfterEach
  void close() {
    vcsim.clearFaults();
    gateway.close();
  }

  private String anyVm() {
    return gateway.inventory().vmByName("DC0_H0_VM0").orElseThrow().id();
  }

  @Test
  void logsInLazilyAndKnowsItsSessionIsActive() {
    assertFalse(gateway.sessionActive(), "no session before the first call");
    gateway.inventory();
    assertTrue(gateway.sessionActive());
  }

  @Test
  void logsInAgainOnceWhenTheSessionHasExpired() {
    String vm = anyVm();
    int before = gateway.roundTrips();
    vcsim.injectFault("RetrievePropertiesEx", "NotAuthenticated", 1, 0);
    assertEquals(vm, gateway.vm(vm).id());
    // failed call, Login, repeated call
    assertEquals(before + 3, gateway.roundTrips());
    assertTrue(gateway.sessionActive());
  }

  @Test
  void aSessionTerminatedByTheServerIsRevivedByOneLogin() {
    String vm = anyVm();
    String uuid = gateway.vm(vm).instanceUuid();
    try (Vim25Gateway admin = new Vim25Gateway(vcsim.connection("vc-sim"))) {
      admin.login();
      assertEquals(1, Vim25Sessions.terminateOthers(admin));
    }
    // vcsim answers property reads without a session, so follow up with a call that needs one.
    int before = gateway.roundTrips();
    assertEquals(Optional.of(vm), gateway.findVmByInstanceUuid(uuid).map(VmInfo::id));
    assertEquals(
        before + 4, gateway.roundTrips(), "failed FindByUuid, Login, FindByUuid, the VM's read");
    assertTrue(gateway.sessionActive());
  }

  @Test
  void concurrentCallsSurviveOneExpiryTogether() throws Exception {
    String vm = anyVm();
    String uuid = gateway.vm(vm).instanceUuid();
    try (Vim25Gateway admin = new Vim25Gateway(vcsim.connection("vc-sim"))) {
      admin.login();
      Vim25Sessions.terminateOthers(admin);
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<String>>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> gateway.findVmByInstanceUuid(uuid).orElseThrow().id()));
      }
      for (var r : results) {
        assertEquals(vm, r.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(gateway.sessionActive());
  }

  @Test
  void unsendableCharactersAreAnInvalidRequest() {
    String vm = anyVm();
    assertThrows(
        VsphereException.InvalidRequest.class,
        () -> gateway.setCustomValue(vm, "vmigrate.lock", "bell\u0007"));
  }

  @Test
  void aSessionThatStaysDeadAfterLoggingInAgainIsTransient() {
    // The one re-login inside the call did not help (a vCenter restarting loses its sessions):
    // the activity's retries try again later, and its hold names the fault.
    String vm = anyVm();
    vcsim.injectFault("RetrievePropertiesEx", "NotAuthenticated", 0, 0);
    VsphereException e = assertThrows(VsphereException.Transient.class, () -> gateway.vm(vm));
    assertEquals("NotAuthenticated", e.fault());
    assertTrue(e.retryable());
  }

  @Test
  void aLogoutEndsTheSessionAndTheNextCallLogsInAgain() {
    String vm = anyVm();
    gateway.logout();
    assertFalse(gateway.sessionActive());
    assertEquals(vm, gateway.vm(vm).id());
  }

  @Test
  void injectedFaultsArriveTyped() {
    String vm = anyVm();
    record Case(String fault, Class<? extends VsphereException> type, boolean retryable) {}
    for (Case c :
        new Case[] {
          new Case("HostCommunication", VsphereException.Transient.class, true),
          new Case("TaskInProgress", VsphereException.Transient.class, true),
          new Case(
              "InsufficientResourcesFault", VsphereException.InsufficientResources.class, false),
          new Case("NoPermission", VsphereException.NoPermission.class, false),
          new Case("FileNotFound", VsphereException.NotFound.class, false),
          new Case("DuplicateName", VsphereException.InvalidRequest.class, false)
        }) {
      vcsim.injectFault("PowerOffVM_Task", c.fault(), 1, 0);
      VsphereException e = assertThrows(VsphereException.class, () -> gateway.powerOff(vm));
      assertInstanceOf(c.type(), e, c.fault());
      assertEquals(c.fault(), e.fault());
      assertEquals(c.retryable(), e.retryable(), c.fault());
    }
    // the rules were used up: the call goes through now
    assertEquals(
        TaskState.SUCCESS,
        gateway.waitForTask(gateway.powerOff(vm), Duration.ofSeconds(30)).state());
  }

  @Test
  void aDroppedConnectionIsTransient() {
    String vm = anyVm();
    vcsim.injectDrop("PowerOffVM_Task", 1);
    VsphereException e = assertThrows(VsphereException.Transient.class, () -> gateway.powerOff(vm));
    assertTrue(e.retryable());
  }

  @Test
  void everyCallHasATimeout() {
    Vim25Connection base = vcsim.connection("vc-sim");
    Vim25Gateway impatient =
        new Vim25Gateway(
            new Vim25Connection(
                base.id(),
                base.url(),
                base.username(),
                PasswordSource.of("pass"),
                base.tls(),
                Duration.ofSeconds(2),
                Duration.ofMillis(500)));
    try {
      String vm = impatient.inventory().vmByName("DC0_H0_VM0").orElseThrow().id();
      vcsim.injectFault("RetrievePropertiesEx", null, 1, 2000);
      long start = System.nanoTime();
      VsphereException e = assertThrows(VsphereException.Transient.class, () -> impatient.vm(vm));
      assertEquals("Timeout", e.fault());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1900);
    } finally {
      impatient.close();
    }
  }

  @Test
  void aRefusedConnectionIsTransient() {
    Vim25Gateway nowhere =
        new Vim25Gateway(
            new Vim25Connection(
                "nowhere",
                java.net.URI.create("http://127.0.0.1:1/sdk"),
                "user",
                PasswordSource.of("pass"),
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2)));
    VsphereException e = assertThrows(VsphereException.class, nowhere::inventory);
    assertTrue(e.retryable(), e.toString());
  }

  @Test
  void waitForTaskFollowsATaskToItsEnd() {
    String vm = anyVm();
    var info = gateway.waitForTask(gateway.powerOn(vm), Duration.ofSeconds(30));
    assertEquals(TaskState.ERROR, info.state(), "the model's VMs are already on");
    assertInstanceOf(VsphereException.InvalidState.class, info.error());
    assertEquals("InvalidPowerState", info.error().fault());
  }
}
