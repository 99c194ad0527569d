import{a,b}from"./chunk-chunk-WML3E27C.js";import"./chunk-chunk-6F7RD7TG.js";import"./chunk-chunk-EOJHH4ZY.js";export{a as pageLinks,b as render};
