import{a,b}from"./chunk-chunk-TU2N6EBF.js";import"./chunk-chunk-WOPY73KA.js";import"./chunk-chunk-EOJHH4ZY.js";export{a as pageLinks,b as render};
