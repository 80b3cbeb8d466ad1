package dev.vmigrate.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer.
 *
 * @param status HTTP status code
 * @param field the offending field (JSON path such as {@code vms[2].name}), or null
 * @param message what is wrong, naming the field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String field, String message) {}
