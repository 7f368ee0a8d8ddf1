// The cart and checkout summary for a checkout session (any of the five checkout tools): lines, the chosen
// delivery, the session's own totals and messages, and the order once completed. Reads both wire versions.
import { page } from "./runtime";

const CSS = `
.cart{border:1px solid var(--line);border-radius:12px;background:var(--card);padding:12px;display:flex;flex-direction:column;gap:10px}
header{display:flex;justify-content:space-between;align-items:center;gap:8px}h2{font-size:16px;margin:0}
.line{display:flex;gap:10px;align-items:center}.line .photo{width:48px;height:48px;border-radius:6px;flex:none}
.line .name{flex:1}.amount{text-align:right;white-space:nowrap}.totals{border-top:1px solid var(--line);padding-top:8px}
.row{display:flex;justify-content:space-between;padding:2px 0}.row.total{font-weight:700;font-size:15px}
.msg{border-radius:8px;padding:6px 8px;border:1px solid var(--line)}.msg.error{color:var(--bad)}.msg.warning{color:var(--warn)}
.order{color:var(--ok);font-weight:600}
`;

const SCRIPT = `
function amountOf(totals,type){var t=(totals||[]).find(function(x){return x.type===type;});return t?t.amount:undefined;}
function lineTotal(li){var a=amountOf(li.totals,"total");return a!==undefined?a:li.total;}
function optionsOf(li){return (li.variant_options||[]).map(function(o){return o.value;}).join(" / ");}
acpWidget(function(s,d,t){
  var currency=s.currency||d.currency;
  var lines=(s.line_items||[]).map(function(li){
    var name=li.name||(li.item&&li.item.name)||(li.item&&li.item.id)||li.id;var opts=optionsOf(li);
    var unit=typeof li.unit_amount==="number"?li.unit_amount:undefined;
    return el("div",{class:"line","data-line-id":li.id},[
      image(li.images&&li.images[0],name,"photo"),
      el("div",{class:"name"},[el("div",{text:name}),opts?el("div",{class:"muted",text:opts}):null,
        el("div",{class:"muted",text:t.qty+" "+(li.quantity||(li.item&&li.item.quantity)||1)+(unit!==undefined?" × "+acpMoney(unit,currency,d):"")})]),
      el("div",{class:"amount",text:lineTotal(li)!==undefined?acpMoney(lineTotal(li),currency,d):""})
    ]);
  });
  var selected=(s.selected_fulfillment_options||[])[0];var selectedId=selected?selected.option_id:s.fulfillment_option_id;
  var option=(s.fulfillment_options||[]).find(function(o){return o.id===selectedId;});
  var totals=(s.totals||[]).map(function(x){
    return el("div",{class:"row "+x.type,"data-total":x.type},[el("span",{text:x.display_text||x.type}),el("span",{class:"amount",text:acpMoney(x.amount,currency,d)})]);
  });
  var messages=(s.messages||[]).map(function(m){return el("div",{class:"msg "+m.type,text:m.content||m.code||""});});
  // An order number when the session carries one; a platform id (a GID) means nothing to a buyer.
  var order=s.order?el("div",{class:"order"},[el("span",{text:t.order+(s.order.order_number?" "+s.order.order_number:"")+" · "}),link(s.order.permalink_url,t.view_order)]):null;
  return el("section",{class:"cart","data-session-id":s.id},[
    el("header",{},[el("h2",{text:d.shop||t.cart}),el("span",{class:"badge "+s.status,text:t[s.status]||s.status})]),
    el("div",{},lines),
    option?el("div",{class:"row muted"},[el("span",{text:t.delivery+": "+option.title}),null]):null,
    el("div",{},messages),
    el("div",{class:"totals"},totals),
    order,
    !s.order&&s.continue_url?link(s.continue_url,t.finish_in_store):null
  ]);
});
`;

export function checkoutWidgetHtml(): string {
  return page("Checkout", CSS, SCRIPT);
}
