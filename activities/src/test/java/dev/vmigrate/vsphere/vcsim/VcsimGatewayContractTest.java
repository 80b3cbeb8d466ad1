package dev.vmigrate.vsphere.vcsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.VsphereGatewayContract;
import dev.vmigrate.vsphere.vim25.Vim25Gateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gateway contract against VMware's simulator through the vim25 client. */
class VcsimGatewayContractTest extends VsphereGatewayContract {

  @RegisterExtension
  static final VcsimExtension vcsim = VcsimExtension.perTest("-ds", "2", "-pool", "1");

  private Vim25Gateway gateway;

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

  // vcsim 0.24's RelocateVM_Task only swaps the VM's datastore list; files and disks stay put.
  @Override
  protected boolean relocateMovesFiles() {
    return false;
  }

  // vcsim 0.24's RelocateVM_Task ignores spec.deviceChange.
  @Override
  protected boolean relocateAppliesNicChanges() {
    return false;
  }

  @AfterEach
  void logout() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }
}
