// Product cards: a carousel for search_products ({products}), one card with its variants for get_product
// ({product}). Prices in the shop's currency; a sale shows the regular price struck through. "Buy" asks in the
// conversation (as the buyer) rather than calling a checkout tool itself: the agent keeps the flow.
import { page } from "./runtime";

const CSS = `
.carousel{display:flex;gap:12px;overflow-x:auto;scroll-snap-type:x mandatory;padding:4px 2px 10px}
.card{flex:0 0 200px;scroll-snap-align:start;border:1px solid var(--line);border-radius:12px;background:var(--card);overflow:hidden;display:flex;flex-direction:column}
.card .photo{width:100%;height:160px}.card .body{padding:10px;display:flex;flex-direction:column;gap:4px}
.title{font-weight:600}.brand{font-size:12px}.price{font-weight:600}.price s{font-weight:400;margin-left:6px}
.detail{display:flex;gap:16px;border:1px solid var(--line);border-radius:12px;background:var(--card);padding:12px;flex-wrap:wrap}
.detail .photo{width:220px;height:220px;border-radius:8px}.detail .body{flex:1;min-width:220px;display:flex;flex-direction:column;gap:6px}
table{border-collapse:collapse;width:100%}td{padding:4px 6px;border-top:1px solid var(--line)}td.amount{text-align:right;white-space:nowrap}
.empty{padding:16px}
`;

const SCRIPT = `
function priceOf(v,currency,d,t){
  var p=el("span",{class:"price",text:acpMoney(v.price,currency,d)});
  if(typeof v.regular_price==="number"&&v.regular_price>v.price)p.appendChild(el("s",{class:"muted",title:t.was,text:acpMoney(v.regular_price,currency,d)}));
  return p;
}
function rangeOf(p,d,t){
  var r=p.price_range||{min:0,max:0};
  if(r.min===r.max){var v=(p.variants||[]).find(function(x){return x.item_id===p.default_item_id;})||{price:r.min};return priceOf(v,p.currency,d,t);}
  return el("span",{class:"price",text:t.from+" "+acpMoney(r.min,p.currency,d)});
}
function card(p,d,t){
  return el("article",{class:"card","data-product-id":p.id},[
    image(p.image_url,p.title,"photo"),
    el("div",{class:"body"},[
      el("div",{class:"title",text:p.title}),
      p.brand?el("div",{class:"brand muted",text:p.brand}):null,
      rangeOf(p,d,t),
      el("div",{},[el("span",{class:"badge "+p.availability,text:t[p.availability]||p.availability}),
        p.variant_count>1?el("span",{class:"muted",text:" · "+p.variant_count+" "+t.variants}):null]),
      p.availability!=="out_of_stock"?button(t.buy,function(){acpAsk(t.buy+": "+p.title);}):null
    ])
  ]);
}
function detail(p,d,t){
  var rows=(p.variants||[]).map(function(v){
    return el("tr",{"data-item-id":v.item_id},[el("td",{text:v.title}),el("td",{class:"amount"},[priceOf(v,p.currency,d,t)]),
      el("td",{},[el("span",{class:"badge "+v.availability,text:t[v.availability]||v.availability})]),
      el("td",{},[v.availability!=="out_of_stock"?button(t.buy,function(){acpAsk(t.buy+": "+p.title+(v.title&&v.title!==p.title?" – "+v.title:""));}):null])]);
  });
  return el("article",{class:"detail","data-product-id":p.id},[
    image(p.image_url,p.title,"photo"),
    el("div",{class:"body"},[
      el("div",{class:"title",text:p.title}),p.brand?el("div",{class:"brand muted",text:p.brand}):null,rangeOf(p,d,t),
      p.description?el("p",{class:"muted",text:p.description}):null,
      el("table",{},[el("tbody",{},rows)]),
      link(p.url,d.shop||p.url)
    ])
  ]);
}
acpWidget(function(out,d,t){
  if(out.product)return detail(out.product,d,t);
  var list=Array.isArray(out.products)?out.products:[];
  if(!list.length)return el("div",{class:"empty muted",text:t.no_products});
  return el("section",{class:"carousel","aria-label":d.shop},list.map(function(p){return card(p,d,t);}));
});
`;

export function productsWidgetHtml(): string {
  return page("Products", CSS, SCRIPT);
}
