import { mailModels, startServer } from "@mail/../tests/mail_test_helpers";
import { beforeEach, expect, test } from "@odoo/hoot";
import { hover, queryAllTexts, queryOne } from "@odoo/hoot-dom";
import { runAllTimers } from "@odoo/hoot-mock";
import {
    defineModels,
    fields,
    models,
    mountView,
    onRpc,
} from "@web/../tests/web_test_helpers";

const TOP_COLOR = "#2e7d32";
const AVERAGE_COLOR = "#f9a825";
const UNSCORED_COLOR = "#9e9e9e";

class MktCustomerClass extends models.Model {
    _name = "mkt.customer.class";

    name = fields.Char();
    color = fields.Char();

    _records = [
        { id: 1, name: "A - Top customer", color: TOP_COLOR },
        { id: 2, name: "C - Average customer", color: AVERAGE_COLOR },
        { id: 3, name: "Broken", color: "red; background-image: url(/evil)" },
    ];
}

class ResPartner extends mailModels.ResPartner {
    mkt_score = fields.Integer({ string: "Quality Score" });
    mkt_class_id = fields.Many2one({ relation: "mkt.customer.class" });
    mkt_class_color = fields.Char();
    mkt_score_date = fields.Date();
    mkt_score_summary = fields.Json();
}

// The same field names as on res.partner (models/sale_order.py).
class SaleOrder extends models.Model {
    _name = "sale.order";

    partner_id = fields.Many2one({ relation: "res.partner" });
    mkt_score = fields.Integer({ string: "Quality Score" });
    mkt_class_id = fields.Many2one({ relation: "mkt.customer.class" });
    mkt_class_color = fields.Char();
    mkt_score_date = fields.Date();
    mkt_score_summary = fields.Json();
}

defineModels({ ...mailModels, ResPartner, MktCustomerClass, SaleOrder });

// The mock server keeps JSON fields as strings, the real one sends them as objects.
function parseSummaries(records) {
    for (const record of records) {
        if (typeof record.mkt_score_summary === "string") {
            record.mkt_score_summary = JSON.parse(record.mkt_score_summary);
        }
    }
    return records;
}

beforeEach(() => {
    onRpc("web_read", ({ parent }) => parseSummaries(parent()));
    onRpc("web_search_read", ({ parent }) => {
        const result = parent();
        parseSummaries(result.records);
        return result;
    });
});

const SCORED = {
    mkt_score: 1270,
    mkt_class_id: 1,
    mkt_class_color: TOP_COLOR,
    mkt_score_date: "2025-03-03",
    mkt_score_summary: JSON.stringify({
        trend: "Growing",
        criteria: [
            { name: "Orders in the last 24 months", value: 9, points: 150 },
            { name: "Total revenue", value: 1234.5, points: 1120 },
            { name: "Average payment delay", value: null, points: 0 },
        ],
    }),
};

// The views list no score field but the widget's: its dependencies load the rest.
const FORM = `<form><sheet><field name="name"/><field name="mkt_score" widget="mkt_quality_q"/></sheet></form>`;

async function createPartners(valuesList) {
    const pyEnv = await startServer();
    return pyEnv["res.partner"].create(valuesList);
}

async function openTooltip() {
    await hover(".o_mkt_quality_q");
    await runAllTimers();
}

test("the Q has the colour of the customer's class", async () => {
    const [partnerId] = await createPartners([{ name: "Top Ltd", ...SCORED }]);
    await mountView({ type: "form", resModel: "res.partner", resId: partnerId, arch: FORM });

    expect(".o_mkt_quality_q").toHaveCount(1);
    expect(".o_mkt_quality_q").toHaveText("Q");
    expect(".o_mkt_quality_q").not.toHaveClass("o_mkt_quality_q_unscored");
    expect(".o_mkt_quality_q").toHaveStyle(
        { "background-color": TOP_COLOR, color: "#ffffff" },
        { inline: true }
    );
    expect(".o_mkt_quality_q").toHaveAttribute("aria-label", /A - Top customer/);
});

test("a customer without a score has a grey Q, 'not scored'", async () => {
    // A class left over from an earlier run does not colour an unscored customer.
    const [partnerId] = await createPartners([
        { name: "New Ltd", mkt_class_id: 1, mkt_class_color: TOP_COLOR },
    ]);
    await mountView({ type: "form", resModel: "res.partner", resId: partnerId, arch: FORM });

    expect(".o_mkt_quality_q").toHaveClass("o_mkt_quality_q_unscored");
    expect(".o_mkt_quality_q").toHaveStyle(
        { "background-color": UNSCORED_COLOR },
        { inline: true }
    );
    await openTooltip();
    expect(".o-tooltip").toHaveCount(1);
    expect(".o-tooltip").toHaveText("Not scored");
});

test("the tooltip shows score, class, date, trend and points per criterion", async () => {
    const [partnerId] = await createPartners([{ name: "Top Ltd", ...SCORED }]);
    await mountView({ type: "form", resModel: "res.partner", resId: partnerId, arch: FORM });

    expect(".o-tooltip").toHaveCount(0);
    await openTooltip();
    expect(".o-tooltip .o_mkt_quality_q_class").toHaveText("A - Top customer");
    expect(".o-tooltip .o_mkt_quality_q_score").toHaveText("1,270");
    expect(".o-tooltip .o_mkt_quality_q_date").toHaveText("03/03/2025");
    expect(".o-tooltip .o_mkt_quality_q_trend").toHaveText("Growing");
    expect(queryAllTexts(".o-tooltip .o_mkt_quality_q_criteria tbody td")).toEqual([
        "Orders in the last 24 months",
        "9",
        "150",
        "Total revenue",
        "1,234.5",
        "1,120",
        "Average payment delay",
        "–",
        "0",
    ]);
});

test("list: class colours, readable text, grey when unscored or colour invalid", async () => {
    await createPartners([
        { name: "Top Ltd", ...SCORED },
        { name: "Average Ltd", ...SCORED, mkt_class_id: 2, mkt_class_color: AVERAGE_COLOR },
        { name: "Broken Ltd", ...SCORED, mkt_class_id: 3, mkt_class_color: "red; x: y" },
        { name: "New Ltd" },
    ]);
    await mountView({
        type: "list",
        resModel: "res.partner",
        domain: [["name", "like", "Ltd"]],
        arch: `<list><field name="mkt_score" widget="mkt_quality_q" nolabel="1"/><field name="name"/></list>`,
    });

    const qOf = (name) => queryOne(`.o_data_row:contains(${name}) .o_mkt_quality_q`);
    expect(qOf("Top Ltd")).toHaveStyle({ "background-color": TOP_COLOR }, { inline: true });
    // Dark text on a light class colour.
    expect(qOf("Average Ltd")).toHaveStyle(
        { "background-color": AVERAGE_COLOR, color: "#212529" },
        { inline: true }
    );
    // Colours are free text: anything but a hex colour must not reach the style.
    expect(qOf("Broken Ltd")).toHaveStyle(
        { "background-color": UNSCORED_COLOR },
        { inline: true }
    );
    expect(qOf("New Ltd")).toHaveClass("o_mkt_quality_q_unscored");
});

test("the same widget works on a sales order", async () => {
    const pyEnv = await startServer();
    const partnerId = pyEnv["res.partner"].create({ name: "Top Ltd" });
    const orderId = pyEnv["sale.order"].create({ partner_id: partnerId, ...SCORED });
    await mountView({
        type: "form",
        resModel: "sale.order",
        resId: orderId,
        arch: `<form><field name="partner_id"/><field name="mkt_score" widget="mkt_quality_q"/></form>`,
    });

    expect(".o_mkt_quality_q").toHaveStyle({ "background-color": TOP_COLOR }, { inline: true });
    await openTooltip();
    expect(".o-tooltip .o_mkt_quality_q_class").toHaveText("A - Top customer");
});
