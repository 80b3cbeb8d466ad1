package dev.vmigrate.api.service;

import dev.vmigrate.api.web.Dtos.VmRef;
import java.util.List;

/**
 * The VMs an import file names, each with where it stands in the file ({@code line 4}, {@code vInfo
 * row 12}, {@code vms[3]}), so that an error about a VM points at its row.
 *
 * @param refs the VM references, in file order
 * @param places for each reference, where it stands in the file
 */
public record VmList(List<VmRef> refs, List<String> places) {
  public VmList {
    refs = List.copyOf(refs);
    places = List.copyOf(places);
    if (refs.size() != places.size()) {
      throw new IllegalArgumentException("one place per VM reference");
    }
  }

  /** Where the {@code i}-th reference stands in the file. */
  public String place(int i) {
    return places.get(i);
  }
}
