package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.TaskState;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.VsphereGatewayContract;
import dev.vmigrate.vsphere.vim25.VcsimVms;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway contract against VMware's simulator through the vim25 client. */
class VcsimGatewayContractTest extends VsphereGatewayContract {

  // Not "-pool 1": vcsim then puts the cluster's VMs into the child pool (DC0_C0_RP1_VM0/1); the
  // contract wants them in the root pool next to an empty child pool, which setUp creates.
  @RegisterExtension static final VcsimExtension vcsim = VcsimExtension.perTest("-ds", "2");

  private Vim25Gateway gateway;

  @BeforeEach
  void createTheEmptyChildPool() {
    String root = gateway().inventory().clusterByName(CLUSTER).orElseThrow().rootResourcePool();
    VcsimVms.createResourcePool(gateway, root, CHILD_POOL);
  }

  @Override
  protected VsphereGateway gateway() {
    if (gateway == null) {
      gateway = new Vim25Gateway(vcsim.connection("vc-sim"));
    }
    return gateway;
  }

  // Logins exist only here (the simulated gateway has none), so this is not a contract test.
  @Test
  void wrongPasswordIsAnAuthenticationError() {
    Vim25Gateway bad = new Vim25Gateway(vcsim.connection("vc-sim", "user", "wrong"));
    try {
      VsphereException e = assertThrows(VsphereException.Authentication.class, bad::inventory);
      assertEquals("InvalidLogin", e.fault());
      assertFalse(e.retryable());
    } finally {
      bad.close();
    }
  }

  @Override
  protected void delayRelocates(Duration duration) {
    vcsim.delayTasks(TaskInfo.RELOCATE, (int) duration.toMillis());
  }

  // vcsim's RelocateVM_Task only swaps the VM's datastore list; files and disks stay put.
  @Override
  protected boolean relocateMovesFiles() {
    return false;
  }

  // The launcher's task delay (what crash tests use): the relocate is answered at once with a
  // running task, the VM stays readable and unmoved while it runs, then the task succeeds; the
  // launcher counts the one call on that VM.
  @Test
  void aDelayedRelocateRunsForTheDelayThenSucceeds() {
    vcsim.delayTasks("RelocateVM_Task", 1500);
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    String otherHost = otherHostInCluster(inv, vm);
    vcsim.resetCalls();

    long start = System.nanoTime();
    TaskRef ref =
        gateway().relocate(vm.id(), new RelocateSpec(otherHost, null, null, null, null, null));
    assertEquals(TaskState.RUNNING, gateway().task(ref).state());
    assertEquals(vm.host(), gateway().vm(vm.id()).host(), "not moved while the task runs");

    succeed(ref);
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(1500).toNanos());
    assertEquals(otherHost, gateway().vm(vm.id()).host());
    assertEquals(1, vcsim.calls("RelocateVM_Task", vm.id()));
    assertEquals(1, vcsim.calls().path("methods").path("RelocateVM_Task").asInt());

    // Without the delay the next relocate is quick again.
    vcsim.clearTaskDelays();
    long again = System.nanoTime();
    succeed(gateway().relocate(vm.id(), new RelocateSpec(vm.host(), null, null, null, null, null)));
    assertTrue(System.nanoTime() - again < Duration.ofMillis(1500).toNanos());
    assertEquals(2, vcsim.calls("RelocateVM_Task", vm.id()));
  }

  // vcsim accepts CancelTask on a running task and reports it cancelled at once, but still carries
  // the task out when its delay ends and then reports success: unlike vCenter, where a cancelled
  // relocate does not move the VM. Pinned so that a simulator that really cancels shows up here.
  @Test
  void aCancelledDelayedRelocateIsStillCarriedOutByVcsim() {
    vcsim.delayTasks("RelocateVM_Task", 1000);
    Inventory inv = gateway().inventory();
    VmInfo vm = vmNamed(inv, CLUSTER_VM);
    String otherHost = otherHostInCluster(inv, vm);
    TaskRef ref =
        gateway().relocate(vm.id(), new RelocateSpec(otherHost, null, null, null, null, null));

    assertTrue(gateway().cancelTask(ref));
    assertEquals(TaskState.ERROR, gateway().task(ref).state(), "reported cancelled at once");
    assertEquals(vm.host(), gateway().vm(vm.id()).host());

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (gateway().task(ref).state() != TaskState.SUCCESS) {
      assertTrue(System.nanoTime() < deadline, "the cancelled task never flipped to success");
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertEquals(otherHost, gateway().vm(vm.id()).host(), "moved despite the cancel");
  }

  // Calls answered by an injected fault never reach the simulator and are counted apart.
  @Test
  void callsAnsweredByAnInjectedFaultAreCountedApart() {
    VmInfo vm = vmNamed(gateway().inventory(), CLUSTER_VM);
    vcsim.resetCalls();
    vcsim.injectFault("PowerOffVM_Task", "HostCommunication", 1, 0);
    assertThrows(VsphereException.class, () -> gateway().powerOff(vm.id()));
    succeed(gateway().powerOff(vm.id()));

    JsonNode calls = vcsim.calls();
    assertEquals(1, calls.path("methods").path("PowerOffVM_Task").asInt());
    assertEquals(1, calls.path("byObject").path("PowerOffVM_Task").path(vm.id()).asInt());
    assertEquals(1, calls.path("injected").path("PowerOffVM_Task").asInt());
    vcsim.resetCalls();
    assertTrue(vcsim.calls().path("methods").isEmpty());
  }

  @AfterEach
  void logout() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }
}
