(function(){"use strict";document.querySelectorAll(".products li").forEach(function(e){e.addEventListener("click",function(){e.classList.toggle("selected")})})})();
//# sourceMappingURL=app.js.map
