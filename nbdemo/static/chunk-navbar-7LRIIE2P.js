import{a,b}from"./chunk-chunk-PYGP6I4X.js";import"./chunk-chunk-7E5MJ62A.js";import"./chunk-chunk-EOJHH4ZY.js";export{a as pageLinks,b as render};
