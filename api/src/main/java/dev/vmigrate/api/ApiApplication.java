package dev.vmigrate.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Runs the vmigrate API on its own; the {@code vmigrate server} command embeds the same beans. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "vmigrate",
            version = "1",
            description =
                "Plans, requests and per-VM control of vSphere migrations run as Temporal"
                    + " workflows"),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class ApiApplication {
  private ApiApplication() {}

  public static void main(String[] args) {
    Micronaut.run(ApiApplication.class, args);
  }
}
