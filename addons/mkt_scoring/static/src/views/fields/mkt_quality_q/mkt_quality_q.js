import { Component } from "@odoo/owl";
import { formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** Colour of the Q of a customer without a score or without a class. */
export const UNSCORED_COLOR = "#9e9e9e";

// Class colours are free text: only plain hex colours may reach the style attribute.
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * WCAG relative luminance of a hex colour, to print the Q in black or white,
 * whichever reads better on the class colour.
 */
function luminance(color) {
    let hex = color.slice(1);
    if (hex.length === 3) {
        hex = [...hex].map((digit) => digit + digit).join("");
    }
    const [r, g, b] = [0, 2, 4].map((start) => {
        const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The customer's quality "Q": a round badge in the colour of the customer class,
 * with score, class, date, trend and points per criterion in its tooltip.
 *
 * Set on `mkt_score`; reads the other score fields of the record (res.partner,
 * or any model with the same field names, such as sale.order).
 */
export class MktQualityQField extends Component {
    static template = "mkt_scoring.MktQualityQField";
    static props = { ...standardFieldProps };

    get data() {
        return this.props.record.data;
    }

    get isScored() {
        return Boolean(this.data.mkt_score_date);
    }

    get color() {
        const color = this.isScored && this.data.mkt_class_color;
        return color && HEX_COLOR.test(color) ? color : UNSCORED_COLOR;
    }

    get textColor() {
        return luminance(this.color) > 0.179 ? "#212529" : "#ffffff";
    }

    get className() {
        return this.data.mkt_class_id ? this.data.mkt_class_id[1] : "";
    }

    get label() {
        if (!this.isScored) {
            return _t("Customer quality: not scored");
        }
        // A separate call: the term exporter does not see a _t nested in another.
        const noClass = _t("no class");
        return _t("Customer quality: %(class)s, score %(score)s", {
            class: this.className || noClass,
            score: formatInteger(this.data[this.props.name]),
        });
    }

    get tooltipInfo() {
        if (!this.isScored) {
            return JSON.stringify({ scored: false });
        }
        const summary = this.data.mkt_score_summary || {};
        return JSON.stringify({
            scored: true,
            score: formatInteger(this.data[this.props.name]),
            className: this.className,
            date: formatDate(this.data.mkt_score_date),
            trend: summary.trend || "",
            criteria: (summary.criteria || []).map((criterion) => ({
                name: criterion.name,
                value:
                    typeof criterion.value === "number"
                        ? formatFloat(criterion.value, { trailingZeros: false })
                        : "–",
                points: formatInteger(criterion.points),
            })),
        });
    }
}

export const mktQualityQField = {
    component: MktQualityQField,
    displayName: _t("Customer Quality Q"),
    supportedTypes: ["integer"],
    listViewWidth: 40,
    fieldDependencies: [
        { name: "mkt_class_id", type: "many2one", relation: "mkt.customer.class" },
        { name: "mkt_class_color", type: "char" },
        { name: "mkt_score_date", type: "date" },
        { name: "mkt_score_summary", type: "json" },
    ],
};

registry.category("fields").add("mkt_quality_q", mktQualityQField);
