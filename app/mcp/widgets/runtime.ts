// What every widget shares: the host bridge (ChatGPT's Apps SDK `window.openai`, or the MCP Apps postMessage
// handshake), money and label formatting in the shop's currency and language, and safe DOM building. Inline only:
// a widget loads no external script (docs/decisions/0093). Data is only ever set with textContent.

/** Labels in the languages the widgets speak; anything else falls back to English. */
export const LABELS = {
  en: {
    buy: "Buy", in_stock: "In stock", backorder: "Backorder", pre_order: "Pre-order", out_of_stock: "Out of stock", from: "From",
    variants: "options", no_products: "No products match.", cart: "Your cart", qty: "Qty", total: "Total", order: "Order",
    view_order: "View order", finish_in_store: "Finish in the store", delivery: "Delivery",
    not_ready_for_payment: "Details needed", ready_for_payment: "Ready to pay", completed: "Order placed", canceled: "Canceled",
    in_progress: "In progress", authentication_required: "Verification needed", expired: "Expired", was: "was",
  },
  fr: {
    buy: "Acheter", in_stock: "En stock", backorder: "Sur commande", pre_order: "Précommande", out_of_stock: "Épuisé", from: "À partir de",
    variants: "options", no_products: "Aucun produit ne correspond.", cart: "Votre panier", qty: "Qté", total: "Total", order: "Commande",
    view_order: "Voir la commande", finish_in_store: "Terminer sur la boutique", delivery: "Livraison",
    not_ready_for_payment: "Informations requises", ready_for_payment: "Prêt à payer", completed: "Commande passée", canceled: "Annulée",
    in_progress: "En cours", authentication_required: "Vérification requise", expired: "Expirée", was: "au lieu de",
  },
  de: {
    buy: "Kaufen", in_stock: "Auf Lager", backorder: "Nachbestellbar", pre_order: "Vorbestellung", out_of_stock: "Ausverkauft", from: "Ab",
    variants: "Varianten", no_products: "Keine passenden Produkte.", cart: "Dein Warenkorb", qty: "Menge", total: "Gesamt", order: "Bestellung",
    view_order: "Bestellung ansehen", finish_in_store: "Im Shop abschließen", delivery: "Versand",
    not_ready_for_payment: "Angaben fehlen", ready_for_payment: "Bereit zur Zahlung", completed: "Bestellt", canceled: "Storniert",
    in_progress: "In Bearbeitung", authentication_required: "Bestätigung nötig", expired: "Abgelaufen", was: "statt",
  },
  es: {
    buy: "Comprar", in_stock: "En stock", backorder: "Bajo pedido", pre_order: "Preventa", out_of_stock: "Agotado", from: "Desde",
    variants: "opciones", no_products: "Ningún producto coincide.", cart: "Tu carrito", qty: "Cant.", total: "Total", order: "Pedido",
    view_order: "Ver pedido", finish_in_store: "Terminar en la tienda", delivery: "Envío",
    not_ready_for_payment: "Faltan datos", ready_for_payment: "Listo para pagar", completed: "Pedido realizado", canceled: "Cancelado",
    in_progress: "En curso", authentication_required: "Verificación necesaria", expired: "Caducado", was: "antes",
  },
} as const;

export const STYLE = `
:root{color-scheme:light dark;--fg:#1a1a1a;--muted:#616161;--line:#e3e3e3;--card:#fff;--accent:#005bd3;--ok:#0c7a43;--warn:#8a6100;--bad:#b42318}
@media (prefers-color-scheme:dark){:root{--fg:#f1f1f1;--muted:#b5b5b5;--line:#3a3a3a;--card:#1f1f1f;--accent:#5aa0ff}}
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:transparent}
.muted{color:var(--muted)}.badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:10px;border:1px solid var(--line)}
.badge.in_stock,.badge.completed,.badge.ready_for_payment{color:var(--ok)}.badge.out_of_stock,.badge.canceled,.badge.expired{color:var(--bad)}
.badge.backorder,.badge.pre_order,.badge.not_ready_for_payment,.badge.authentication_required{color:var(--warn)}
button.buy{font:inherit;font-size:13px;padding:4px 12px;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;align-self:flex-start}
img{display:block;object-fit:cover}img,.noimg{background:var(--line)}a{color:var(--accent)}
`;

/** The bridge and helpers, as an inline script defining `acpWidget(render)`. */
export const RUNTIME = `
var LABELS = ${JSON.stringify(LABELS)};
function acpLabels(locale){var lang=String(locale||"en").slice(0,2).toLowerCase();return LABELS[lang]||LABELS.en;}
function acpMoney(minor,currency,display){
  var exp=typeof display.exponent==="number"?display.exponent:2;
  try{return new Intl.NumberFormat(display.locale,{style:"currency",currency:String(currency).toUpperCase(),minimumFractionDigits:exp,maximumFractionDigits:exp}).format(minor/Math.pow(10,exp));}
  catch(e){return (minor/Math.pow(10,exp)).toFixed(exp)+" "+String(currency).toUpperCase();}
}
function el(tag,attrs,children){
  var node=document.createElement(tag);
  for(var k in attrs||{}){var v=attrs[k];if(v===undefined||v===null||v===false)continue;
    if(k==="text")node.textContent=String(v);else if(k==="class")node.className=v;else node.setAttribute(k,String(v));}
  (children||[]).forEach(function(c){if(c)node.appendChild(c);});
  return node;
}
function safeUrl(u){return typeof u==="string"&&/^https?:\\/\\//i.test(u)?u:null;}
function image(src,alt,cls){var u=safeUrl(src);if(!u)return el("div",{class:cls+" noimg"});
  var img=el("img",{src:u,alt:alt||"",class:cls,loading:"lazy",referrerpolicy:"no-referrer"});
  img.onerror=function(){if(img.parentNode)img.parentNode.replaceChild(el("div",{class:cls+" noimg"}),img);};return img;}
function link(href,text){var u=safeUrl(href);if(!u)return null;var a=el("a",{href:u,target:"_blank",rel:"noopener noreferrer",text:text});
  a.addEventListener("click",function(e){if(window.openai&&typeof window.openai.openExternal==="function"){e.preventDefault();window.openai.openExternal({href:u});}});return a;}
var acpHost={ask:null};
/** Puts a message in the conversation as the buyer's (Apps SDK sendFollowUpMessage, MCP Apps ui/message). */
function acpAsk(text){if(acpHost.ask)acpHost.ask(text);}
function button(text,onClick){var b=el("button",{type:"button",class:"buy",text:text});b.addEventListener("click",onClick);return b;}
function acpWidget(render){
  var hostLocale=null;
  function show(output,meta,locale){
    if(!output||typeof output!=="object")return;
    var d=(meta&&meta["acp/display"])||{};
    var display={locale:d.locale||locale||hostLocale||document.documentElement.lang||"en-US",currency:d.currency||output.currency||"usd",exponent:d.exponent,shop:d.shop_name||""};
    try{new Intl.NumberFormat(display.locale);}catch(e){display.locale="en-US";}
    document.documentElement.lang=display.locale;
    var root=document.getElementById("root");root.textContent="";root.appendChild(render(output,display,acpLabels(display.locale)));
  }
  function fromOpenAI(){var o=window.openai;if(o&&o.toolOutput)show(o.toolOutput,o.toolResponseMetadata,o.locale);}
  window.addEventListener("openai:set_globals",fromOpenAI);
  if(window.openai){
    acpHost.ask=function(text){if(typeof window.openai.sendFollowUpMessage==="function")window.openai.sendFollowUpMessage({prompt:text});};
    fromOpenAI();return;
  }
  if(window.parent&&window.parent!==window){
    var asked=0;
    acpHost.ask=function(text){window.parent.postMessage({jsonrpc:"2.0",id:"acp-ask-"+(++asked),method:"ui/message",params:{role:"user",content:[{type:"text",text:text}]}},"*");};
    window.addEventListener("message",function(e){
      if(e.source!==window.parent)return;var m=e.data;if(!m||m.jsonrpc!=="2.0")return;
      if(m.id==="acp-init"&&m.result){var c=m.result.hostContext||{};hostLocale=c.locale||null;
        window.parent.postMessage({jsonrpc:"2.0",method:"ui/notifications/initialized",params:{}},"*");return;}
      if(m.method==="ui/notifications/tool-result"&&m.params)show(m.params.structuredContent,m.params._meta);
    });
    window.parent.postMessage({jsonrpc:"2.0",id:"acp-init",method:"ui/initialize",params:{protocolVersion:"2026-01-26",appInfo:{name:"acp-shop-widgets",version:"1.0.0"},appCapabilities:{}}},"*");
  }
}
`;

export function page(title: string, css: string, script: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}${css}</style></head><body><div id="root"></div><script>${RUNTIME}${script}</script></body></html>`;
}
