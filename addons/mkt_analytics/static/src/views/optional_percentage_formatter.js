import { registry } from "@web/core/registry";
import { formatPercentage } from "@web/views/fields/formatters";

/**
 * A ratio without a base (the ROI of a touch that cost nothing) is empty, not
 * "0%": the pivot gets NULL from the report for it, which the standard
 * percentage formatter shows as 0.
 */
export function formatOptionalPercentage(value, options) {
    return value === null || value === undefined || value === false
        ? ""
        : formatPercentage(value, options);
}

registry.category("formatters").add("mkt_optional_percentage", formatOptionalPercentage);
